targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources: a region that offers Flex Consumption.')
// The regions the azd Flex Consumption quickstarts allow (functions-quickstart-dotnet-azd), less the
// eastus2euap canary that ordinary subscriptions cannot use. A region outside this list fails here,
// before anything is created, rather than at the plan. Flex reaches new regions over time:
// `az functionapp list-flexconsumption-locations -o table` lists today's; add one here to use it.
@allowed([
  'australiaeast'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'northcentralus'
  'northeurope'
  'southcentralus'
  'southeastasia'
  'swedencentral'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus2'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying principal; it gets data-plane roles so the README commands work against the cloud account.')
param principalId string = ''

// ARM refuses a role assignment whose principalType does not match the principal (UnmatchedPrincipalType):
// a person running `azd up` is a User, the deploy workflow's federated identity a ServicePrincipal.
@allowed(['User', 'ServicePrincipal', 'Group'])
@description('Kind of principal principalId is: User for `azd up` from a shell, ServicePrincipal in CI (AZURE_PRINCIPAL_TYPE).')
param principalType string = 'User'

@allowed([512, 2048, 4096])
@description('Memory per Flex Consumption instance, in MB. ONNX serving wants 2048 or more.')
param instanceMemoryMB int = 2048

// Flex applies this bound to each function group (http, durable, blob) separately, so the app as a
// whole can reach three times it: the cost ceiling is instances x groups x instanceMemoryMB.
@minValue(40)
@maxValue(1000)
@description('Upper bound of Flex Consumption scale-out, per function group (http, durable and blob each).')
param maximumInstanceCount int = 100

// Always-ready instances are billed (at the baseline rate) while idle, so each group is set on its own
// and all start at 0: a first deployment scales to zero and costs cents a month. For production, 1 in
// http keeps API latency off cold starts and 1 in durable keeps a pipeline's orchestrations from waiting
// on a scale-from-zero after an idle spell (README, "Configure"); the blob trigger only ingests drops,
// which can wait for a cold start.
@minValue(0)
@description('Always-ready instances for the http trigger group (0 lets it scale to zero).')
param alwaysReadyHttp int = 0

@minValue(0)
@description('Always-ready instances for the durable (orchestration and activity) group (0 lets it scale to zero).')
param alwaysReadyDurable int = 0

@minValue(0)
@description('Always-ready instances for the blob trigger group (0 lets it scale to zero).')
param alwaysReadyBlob int = 0

@description('Six-field cron (seconds first, UTC) the monitoring timer fires on; every model\'s default schedule.')
param monitoringSchedule string = '0 0 * * * *'

@description('Six-field cron (UTC) the retraining timer fires on: it starts the retrainings that triggers asked for, and checks policies\' schedules.')
param retrainingSchedule string = '0 * * * * *'

// A cost guard for a first deployment: past the cap the workspace stops ingesting until the next UTC
// day (alerts go quiet with it), so 1 GB/day bounds the bill while leaving headroom over what a busy
// Flywheel logs; raise it (or -1 for no cap) once real traffic shows what it needs.
@minValue(-1)
@description('Daily ingestion cap of the Log Analytics workspace in GB; -1 removes the cap.')
param logDailyQuotaGb int = 1

// 1.0 keeps every trace: the error-rate alert counts requests, and a sampled count is only an estimate.
// Metrics (predictions, drift, pipelines) are pre-aggregated and never sampled, so lowering this trims
// the bill for request and dependency telemetry without touching the workbook's numbers.
@description('Share of traces the Azure Monitor exporter keeps, above 0 and at most 1.')
param telemetrySamplingRatio string = '1.0'

@description('Client id of the Entra ID app registration people sign in to the web console with; empty leaves sign-in off (ADR-016). The registration trusts the app\'s managed identity through a federated credential, so no secret is stored.')
param consoleSignInClientId string = ''

@description('Email address that receives the alerts (error rate, drift, landing poison queue); empty creates them without notifications.')
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
    dailyQuotaGb: logDailyQuotaGb
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
    alwaysReady: { http: alwaysReadyHttp, durable: alwaysReadyDurable, blob: alwaysReadyBlob }
    monitoringSchedule: monitoringSchedule
    retrainingSchedule: retrainingSchedule
    telemetrySamplingRatio: telemetrySamplingRatio
    consoleSignInClientId: consoleSignInClientId
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
    userPrincipalType: principalType
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
