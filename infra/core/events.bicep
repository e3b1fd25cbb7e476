@description('Event Grid system topic that carries the storage account\'s blob events (landing drops).')
param systemTopicName string
@description('Event Grid custom topic for Flywheel\'s own CloudEvents (ModelRegistered, AliasChanged, DriftDetected, ...).')
param topicName string
param location string
param tags object
param storageAccountName string
@description('User-assigned identity the system topic uses to dead-letter undeliverable events.')
param identityName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storageEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource flywheelEvents 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  properties: {
    // Publishing only with an Entra token: the app's identity holds EventGrid Data Sender on this topic.
    disableLocalAuth: true
    inputSchema: 'CloudEventSchemaV1_0'
    minimumTlsVersionAllowed: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

output systemTopicName string = storageEvents.name
output topicName string = flywheelEvents.name
output topicEndpoint string = flywheelEvents.properties.endpoint
