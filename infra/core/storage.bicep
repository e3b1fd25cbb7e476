@description('Storage account name (3-24 lowercase letters and digits).')
param name string
param location string
param tags object
@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

// Flywheel's layout: src/Flywheel/Storage/StorageNames.cs names the same containers.
var containers = ['landing', 'datasets', 'models', 'predictions', 'reports', 'quarantine', deploymentContainerName]

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
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobs
  name: container
  properties: { publicAccess: 'None' }
}]

output name string = account.name
output deploymentContainerName string = deploymentContainerName
