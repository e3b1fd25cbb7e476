// What an operator looks at and is woken by: a workbook over Flywheel's OpenTelemetry metrics and
// three log alerts (server error rate; drift detected; a landing drop given up on).
param location string
param tags object
param applicationInsightsName string
@description('Receives the alerts by email; empty creates the alert rules without notifications.')
param alertEmail string
@description('Share of HTTP requests answered with a 5xx, over 5 minutes, above which the error-rate alert fires.')
param errorRateThreshold string = '0.05'
@description('Where the blob extension moves a blob-trigger message after its last dequeue.')
param poisonQueueName string = 'webjobs-blobtrigger-poison'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, applicationInsights.id, 'flywheel-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Flywheel'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(loadJsonContent('workbook.json'))
  }
}

resource oncall 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-flywheel-${uniqueString(resourceGroup().id)}'
  location: 'global'
  tags: tags
  properties: {
    enabled: true
    groupShortName: 'flywheel'
    emailReceivers: [
      {
        name: 'oncall'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [oncall.id]

resource errorRate 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-flywheel-error-rate-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Flywheel: server error rate'
    description: 'More than ${errorRateThreshold} of HTTP requests answered 5xx in the last 5 minutes (at least 20 requests).'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'requests | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 20 and todouble(failed) / total > ${errorRateThreshold}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

resource drift 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-flywheel-drift-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Flywheel: drift detected'
    description: 'A drift check crossed its threshold (flywheel.drift.detected); the alert names the model or dataset.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "flywheel.drift.detected" | extend subject = tostring(customDimensions.subject) | summarize detected = sum(valueSum) by subject | where detected > 0'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'subject', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

// The blob trigger's Event Grid webhook queues each event on the host's own blob-trigger queue and
// answers at once, so Event Grid's retries and landing-deadletter see only failed webhook deliveries.
// A drop whose function run keeps failing is retried by that queue (host.json
// extensions.queues.maxDequeueCount) and then moved to webjobs-blobtrigger-poison, where nothing reads
// it: the host logs the move (naming the queue), and this alert turns that log into a page.
resource landingPoison 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-flywheel-landing-poison-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Flywheel: landing drop moved to the poison queue'
    description: 'A landing/ drop failed every attempt and its event went to the webjobs-blobtrigger-poison queue; the drop is still in landing/. Drop it again (or PUT api/datasets/{name}) once the cause in the log is fixed.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: 'traces | where message contains "${poisonQueueName}"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

output workbookId string = workbook.id
