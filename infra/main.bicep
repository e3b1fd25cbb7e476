targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources (a region that offers Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user; it gets data-plane roles so the README commands work against the cloud account.')
param principalId string = ''

@allowed([512, 2048, 4096])
@description('Memory per Flex Consumption instance, in MB. ONNX serving wants 2048 or more.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Upper bound of Flex Consumption scale-out.')
param maximumInstanceCount int = 100

@minValue(0)
@description('Always-ready instances for the http, durable and blob trigger groups (0 lets the app scale to zero).')
param alwaysReadyInstanceCount int = 0

@description('Email address that receives the error-rate and drift alerts; empty creates the alerts without notifications.')
param alertEmail string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module events 'core/events.bicep' = {
  name: 'events'
  scope: rg
  params: {
    systemTopicName: '${abbrs.eventGridSystemTopics}${resourceToken}'
    topicName: '${abbrs.eventGridTopics}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    identityName: identity.outputs.name
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    eventTopicEndpoint: events.outputs.topicEndpoint
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyInstanceCount: alwaysReadyInstanceCount
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    eventTopicName: events.outputs.topicName
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module observability 'app/observability.bicep' = {
  name: 'observability'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    alertEmail: alertEmail
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_IDENTITY_NAME string = identity.outputs.name
// Read by the postdeploy hook that subscribes the blob trigger to landing/ events (infra/app/landing-subscription.bicep).
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = events.outputs.systemTopicName
output AZURE_EVENTGRID_TOPIC_NAME string = events.outputs.topicName
output AZURE_EVENTGRID_TOPIC_ENDPOINT string = events.outputs.topicEndpoint
output AZURE_WORKBOOK_ID string = observability.outputs.workbookId
