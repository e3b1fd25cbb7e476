@description('Storage account name (3-24 lowercase letters and digits).')
param name string
param location string
param tags object
@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

// Flywheel's layout: src/Flywheel/Storage/StorageNames.cs names the same containers and tables
// (a test compares them). landing-deadletter keeps landing events Event Grid could not deliver.
var containers = ['landing', 'datasets', 'models', 'predictions', 'reports', 'quarantine', 'landing-deadletter', deploymentContainerName]
var tables = ['datasets', 'models', 'runs', 'monitoring', 'signal', 'retrainings']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Dataset versions and model artifacts are immutable by design; soft delete guards against a mistaken delete.
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobs
  name: container
  properties: { publicAccess: 'None' }
}]

// Durable Functions keeps its work items in queues and its history in tables; the blob trigger's
// Event Grid source also queues internally.
resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource flywheelTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainerName
output deadLetterContainerName string = 'landing-deadletter'
