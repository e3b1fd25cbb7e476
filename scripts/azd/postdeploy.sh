#!/usr/bin/env sh
# azd postdeploy hook: subscribes the blob trigger (OnLandingBlob) to BlobCreated events under landing/.
# It runs after the code is deployed because the webhook URL needs the host's blobs_extension system
# key, which exists only once the host has started with the blob trigger indexed (ADR-004).
# azd passes the Bicep outputs as environment variables. Needs the Azure CLI, logged in (az login).
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd up / azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?}"
: "${AZURE_STORAGE_ACCOUNT_NAME:?}"
: "${AZURE_IDENTITY_NAME:?}"
: "${SERVICE_API_URI:?}"

echo "Waiting for the Functions host to publish the blob extension key..."
attempt=0
until [ -n "$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query systemKeys.blobs_extension -o tsv 2>/dev/null || true)" ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -gt 40 ]; then
    echo "The blobs_extension key did not appear within 10 minutes; run 'azd hooks run postdeploy' once the app is up." >&2
    exit 1
  fi
  # A request starts a scaled-to-zero host; the key is created when the blob trigger is indexed.
  curl -s -o /dev/null --max-time 30 "$SERVICE_API_URI/api/health" || true
  sleep 15
done

az deployment group create \
  --name landing-subscription \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --template-file "$(dirname "$0")/../../infra/app/landing-subscription.bicep" \
  --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" \
               systemTopicName="$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
               storageAccountName="$AZURE_STORAGE_ACCOUNT_NAME" \
               identityName="$AZURE_IDENTITY_NAME" \
  --only-show-errors --output none
echo "Blob drops under landing/ now reach OnLandingBlob."
