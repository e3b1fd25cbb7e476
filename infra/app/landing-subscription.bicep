// Second deployment, run by the azd postdeploy hook (scripts/azd/postdeploy.sh): the subscription
// delivers BlobCreated events under landing/ to the blob trigger's Event Grid webhook, whose URL
// carries the blobs_extension system key. That key exists only once the code is deployed and the
// host has started, and Event Grid validates the webhook when the subscription is created, so this
// cannot be part of `azd provision`. See docs/decisions/ADR-004-landing-event-subscription.md.

@description('Function App that hosts the OnLandingBlob blob trigger.')
param functionAppName string
@description('Event Grid system topic on the storage account (infra/core/events.bicep).')
param systemTopicName string
param storageAccountName string
param identityName string
@description('Blob trigger function the events go to (src/Flywheel.Functions/Datasets/LandingFunctions.cs).')
param functionName string = 'OnLandingBlob'
param landingContainerName string = 'landing'
param deadLetterContainerName string = 'landing-deadletter'

resource app 'Microsoft.Web/sites@2023-12-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storageEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource landing 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: storageEvents
  name: 'landing-to-${functionName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${app.id}/host/default', '2023-12-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${landingContainerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // A drop Event Grid gave up on is kept, with the reason, rather than silently never versioned.
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identity.id
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output subscriptionName string = landing.name
