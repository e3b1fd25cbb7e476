# azd postdeploy hook (Windows): see postdeploy.sh beside it for what and why.
$ErrorActionPreference = 'Stop'
foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME', 'AZURE_STORAGE_ACCOUNT_NAME', 'AZURE_IDENTITY_NAME', 'SERVICE_API_URI') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run through azd (azd up / azd deploy)." }
}

Write-Host 'Waiting for the Functions host to publish the blob extension key...'
$attempt = 0
while (-not (az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME --query systemKeys.blobs_extension -o tsv 2>$null)) {
    $attempt++
    if ($attempt -gt 40) { throw "The blobs_extension key did not appear within 10 minutes; run 'azd hooks run postdeploy' once the app is up." }
    try { Invoke-WebRequest -Uri "$($env:SERVICE_API_URI)/api/health" -TimeoutSec 30 -SkipHttpErrorCheck | Out-Null } catch { }
    Start-Sleep -Seconds 15
}

az deployment group create `
    --name landing-subscription `
    --resource-group $env:AZURE_RESOURCE_GROUP `
    --template-file (Join-Path $PSScriptRoot '../../infra/app/landing-subscription.bicep') `
    --parameters functionAppName=$env:AZURE_FUNCTION_APP_NAME systemTopicName=$env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME `
                 storageAccountName=$env:AZURE_STORAGE_ACCOUNT_NAME identityName=$env:AZURE_IDENTITY_NAME `
    --only-show-errors --output none
if ($LASTEXITCODE -ne 0) { throw 'The landing event subscription could not be created.' }
Write-Host 'Blob drops under landing/ now reach OnLandingBlob.'
