# azd postdeploy hook (Windows): see postdeploy.sh beside it for what and why; the two do the same steps.
$ErrorActionPreference = 'Stop'
foreach ($name in 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME', 'AZURE_STORAGE_ACCOUNT_NAME', 'AZURE_IDENTITY_NAME', 'SERVICE_API_URI') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run through azd (azd up / azd deploy)." }
}

# Runs az and keeps what it printed (stdout and stderr) with its exit code. Under 'Stop', stderr
# redirected with 2>&1 would be a terminating error in Windows PowerShell: the exit code decides here.
function Invoke-Az {
    $ErrorActionPreference = 'Continue'
    $printed = & az @args 2>&1 | ForEach-Object { "$_" }
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($printed -join "`n").Trim() }
}

$subscription = $env:AZURE_SUBSCRIPTION_ID
$functionName = 'OnLandingBlob'
$rerun = "then run 'azd hooks run postdeploy'"

# A logged-out CLI, or one whose account cannot see azd's subscription, would otherwise make every
# call below fail quietly and the wait time out with a misleading message.
$signedIn = Invoke-Az account show --only-show-errors --output none
if ($signedIn.ExitCode -ne 0) { throw "The Azure CLI is not signed in ($($signedIn.Output)): run 'az login', $rerun." }
$visible = Invoke-Az account show --subscription $subscription --only-show-errors --output none
if ($visible.ExitCode -ne 0) {
    $current = (Invoke-Az account show --query id --output tsv).Output
    throw "The Azure CLI's account cannot see subscription $subscription, where azd deployed (it is on $current; $($visible.Output)): run 'az login' with an account that can, or 'az account set --subscription $subscription', $rerun."
}

# The key through the CLI, else straight from ARM's host/default/listkeys (some CLI releases answer
# 'keys list' with nothing on Flex Consumption). Empty while the host has not made it yet.
$script:lastErrors = ''
function Get-BlobExtensionKey {
    $cli = Invoke-Az functionapp keys list --subscription $subscription -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME `
        --query systemKeys.blobs_extension --output tsv --only-show-errors
    if ($cli.ExitCode -eq 0 -and $cli.Output) { return $cli.Output }
    $url = "/subscriptions/$subscription/resourceGroups/$($env:AZURE_RESOURCE_GROUP)/providers/Microsoft.Web/sites/$($env:AZURE_FUNCTION_APP_NAME)/host/default/listkeys?api-version=2023-12-01"
    $rest = Invoke-Az rest --method post --url $url --query systemKeys.blobs_extension --output tsv --only-show-errors
    if ($rest.ExitCode -eq 0 -and $rest.Output) { return $rest.Output }
    $script:lastErrors = "$($cli.Output) $($rest.Output)".Trim()
    return ''
}

Write-Host 'Waiting for the Functions host to publish the blob extension key...'
$attempt = 0
$key = Get-BlobExtensionKey
while (-not $key) {
    $attempt++
    if ($attempt -gt 40) {
        throw "The blobs_extension key did not appear within 10 minutes (last answer from Azure: $($script:lastErrors)). Check that the app started (portal: the Function App's Log stream, or 'azd monitor'), $rerun."
    }
    # A request starts a scaled-to-zero host; the key is created when the blob trigger is indexed.
    try { Invoke-WebRequest -Uri "$($env:SERVICE_API_URI)/api/health" -TimeoutSec 30 -SkipHttpErrorCheck | Out-Null } catch { }
    Start-Sleep -Seconds 15
    $key = Get-BlobExtensionKey
}
Write-Host 'The blob extension key is there.'

# Event Grid validates the webhook when the subscription is created; on Flex the blob trigger's own
# scale group may still be cold then. A validation handshake of our own first starts an instance of
# that group and shows whether the webhook answers, so the real one finds it warm.
$webhook = "$($env:SERVICE_API_URI)/runtime/webhooks/blobs?functionName=Host.Functions.$functionName&code=$key"
$validation = '[{"id":"flywheel-warm-up","topic":"","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2000-01-01T00:00:00Z","data":{"validationCode":"flywheel-warm-up"},"dataVersion":"1"}]'
function Invoke-WarmUp {
    try {
        $answer = Invoke-WebRequest -Uri $webhook -Method Post -ContentType 'application/json' -Headers @{ 'aeg-event-type' = 'SubscriptionValidation' } `
            -Body $validation -TimeoutSec 60 -SkipHttpErrorCheck
        return "$($answer.StatusCode)"
    }
    catch { return 'no answer' }
}

$template = Join-Path $PSScriptRoot '../../infra/app/landing-subscription.bicep'
$attempts = 4
for ($attempt = 1; ; $attempt++) {
    Write-Host "Warming up the blob trigger's webhook: HTTP $(Invoke-WarmUp)."
    Write-Host "Creating the landing/ event subscription (attempt $attempt of $attempts)..."
    $created = Invoke-Az deployment group create `
        --subscription $subscription `
        --name landing-subscription `
        --resource-group $env:AZURE_RESOURCE_GROUP `
        --template-file $template `
        --parameters functionAppName=$env:AZURE_FUNCTION_APP_NAME systemTopicName=$env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME `
                     storageAccountName=$env:AZURE_STORAGE_ACCOUNT_NAME identityName=$env:AZURE_IDENTITY_NAME functionName=$functionName `
        --only-show-errors --output none
    if ($created.ExitCode -eq 0) { break }
    Write-Warning "Attempt $attempt failed: $($created.Output)"
    if ($attempt -ge $attempts) {
        throw "The landing/ event subscription could not be created in $attempts attempts. If the error is the webhook's validation, the blob trigger did not answer in time: open $($env:SERVICE_API_URI)/api/health, $rerun."
    }
    Write-Host 'Trying again in 30 s.'
    Start-Sleep -Seconds 30
}
Write-Host "Blob drops under landing/ now reach $functionName (subscription created on attempt $attempt)."
