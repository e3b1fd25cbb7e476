param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
@description('Endpoint of the Event Grid custom topic Flywheel publishes its CloudEvents to.')
param eventTopicEndpoint string
param instanceMemoryMB int
@description('Scale-out bound of each function group (http, durable, blob): Flex applies it per group, not to the app.')
param maximumInstanceCount int
@description('Always-ready instances per function group: { http: n, durable: n, blob: n }; 0 lets that group scale to zero.')
param alwaysReady object
@description('Six-field cron (UTC) the monitoring timer fires on: the MONITORING_SCHEDULE app setting.')
param monitoringSchedule string
@description('Six-field cron (UTC) the retraining timer fires on: the RETRAINING_SCHEDULE app setting.')
param retrainingSchedule string
@description('Share of traces the Azure Monitor exporter keeps (0-1]; metrics are never sampled.')
param telemetrySamplingRatio string
@description('Client id of the Entra ID app registration for console sign-in; empty leaves App Service authentication off.')
param consoleSignInClientId string

var consoleSignIn = !empty(consoleSignInClientId)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

// Flex bills an always-ready instance whether or not it works, so each group gets its own count and
// a group at 0 is left out (it scales to zero).
var alwaysReadyGroups = filter(
  map(items(alwaysReady), group => { name: group.key, instanceCount: group.value }),
  group => group.instanceCount > 0
)

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Only what Flex Consumption accepts: it rejects ftpsState, use32BitWorkerProcess,
    // netFrameworkVersion, functionsRuntimeScaleMonitoringEnabled and linuxFxVersion (ARM error 51021;
    // the runtime is functionAppConfig.runtime below, and Flex has no FTP publishing at all).
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyGroups
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Identity-based storage: no keys anywhere (the account disallows shared keys).
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    AZURE_CLIENT_ID: identity.properties.clientId
    TASKHUB_NAME: 'flywheel'
    Flywheel__Events__TopicEndpoint: eventTopicEndpoint
    // The monitoring timer's cron (six fields, UTC) and every model's default schedule. A flat name:
    // the trigger binds %MONITORING_SCHEDULE%, and the scale controller cannot resolve a nested
    // (':') setting name on Linux. The app reads the same value into Flywheel:Monitoring:Schedule.
    MONITORING_SCHEDULE: monitoringSchedule
    // The retraining timer's cron, flat for the same reason.
    RETRAINING_SCHEDULE: retrainingSchedule
    Flywheel__Telemetry__SamplingRatio: telemetrySamplingRatio
    // With sign-in on, App Service authentication sets X-MS-CLIENT-PRINCIPAL-NAME and drops any a client sent:
    // the history then records who acted from the console.
    Flywheel__Access__TrustPrincipalHeader: consoleSignIn ? 'true' : 'false'
    // Sign-in's client credential: a federated assertion from this managed identity instead of a stored secret.
    OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identity.properties.clientId
  }
}

// App Service authentication (Entra ID) for the web console (ADR-016). The console's pages and its calls
// (console/...) need a signed-in user; the key-protected routes scripts and the CLI use (api/..., the Open
// Inference Protocol's v2/..., the runtime's webhooks and admin) are excluded, so their function keys work as
// before and nothing about them is weakened or widened.
resource auth 'Microsoft.Web/sites/config@2023-12-01' = if (consoleSignIn) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: [ '/api', '/v2', '/runtime/webhooks', '/admin' ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleSignInClientId
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ 'api://${consoleSignInClientId}' ]
        }
      }
    }
    login: {
      tokenStore: { enabled: true }
    }
    httpSettings: { requireHttps: true }
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
