#!/usr/bin/env sh
# azd postdeploy hook: subscribes the blob trigger (OnLandingBlob) to BlobCreated events under landing/.
# It runs after the code is deployed because the webhook URL needs the host's blobs_extension system
# key, which exists only once the host has started with the blob trigger indexed (ADR-004).
# azd passes the Bicep outputs as environment variables. Needs the Azure CLI, logged in (az login).
# azure.yaml runs it with continueOnError: false, so every way it can fail says what to do next.
set -eu

: "${AZURE_SUBSCRIPTION_ID:?run through azd (azd up / azd deploy)}"
: "${AZURE_RESOURCE_GROUP:?run through azd (azd up / azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?}"
: "${AZURE_STORAGE_ACCOUNT_NAME:?}"
: "${AZURE_IDENTITY_NAME:?}"
: "${SERVICE_API_URI:?}"

function_name=OnLandingBlob
rerun="then run 'azd hooks run postdeploy'"
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

# A logged-out CLI, or one whose account cannot see azd's subscription, would otherwise make every
# call below fail quietly and the wait time out with a misleading message.
if ! az account show --only-show-errors --output none 2>"$errors"; then
  echo "The Azure CLI is not signed in ($(head -n 1 "$errors")): run 'az login', $rerun." >&2
  exit 1
fi
if ! az account show --subscription "$AZURE_SUBSCRIPTION_ID" --only-show-errors --output none 2>"$errors"; then
  current=$(az account show --query id --output tsv 2>/dev/null || echo unknown)
  echo "The Azure CLI's account cannot see subscription $AZURE_SUBSCRIPTION_ID, where azd deployed (it is on $current):" >&2
  echo "run 'az login' with an account that can, or 'az account set --subscription $AZURE_SUBSCRIPTION_ID', $rerun." >&2
  exit 1
fi

# The key through the CLI, else straight from ARM's host/default/listkeys (some CLI releases answer
# 'keys list' with nothing on Flex Consumption). Prints nothing while the host has not made it yet.
blob_extension_key() {
  key=$(az functionapp keys list --subscription "$AZURE_SUBSCRIPTION_ID" -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query systemKeys.blobs_extension --output tsv --only-show-errors 2>"$errors") || key=""
  if [ -z "$key" ]; then
    key=$(az rest --method post --only-show-errors \
      --url "/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.Web/sites/$AZURE_FUNCTION_APP_NAME/host/default/listkeys?api-version=2023-12-01" \
      --query systemKeys.blobs_extension --output tsv 2>>"$errors") || key=""
  fi
  printf '%s' "$key"
}

echo "Waiting for the Functions host to publish the blob extension key..."
attempt=0
key=$(blob_extension_key)
until [ -n "$key" ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -gt 40 ]; then
    echo "The blobs_extension key did not appear within 10 minutes. The last answers from Azure were:" >&2
    sed 's/^/  /' "$errors" >&2
    echo "Check that the app started (portal: the Function App's Log stream, or 'azd monitor'), $rerun." >&2
    exit 1
  fi
  # A request starts a scaled-to-zero host; the key is created when the blob trigger is indexed.
  curl -s -o /dev/null --max-time 30 "$SERVICE_API_URI/api/health" || true
  sleep 15
  key=$(blob_extension_key)
done
echo "The blob extension key is there."

# Event Grid validates the webhook when the subscription is created, within about 30 s; on Flex the
# blob trigger's own scale group may still be cold then. A validation handshake of our own first
# starts an instance of that group and shows whether the webhook answers, so the real one finds it warm.
webhook="$SERVICE_API_URI/runtime/webhooks/blobs?functionName=Host.Functions.$function_name"
warm_up() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 60 -X POST \
    -H 'Content-Type: application/json' -H 'aeg-event-type: SubscriptionValidation' \
    --data '[{"id":"flywheel-warm-up","topic":"","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2000-01-01T00:00:00Z","data":{"validationCode":"flywheel-warm-up"},"dataVersion":"1"}]' \
    "$webhook&code=$key" || echo "no answer"
}

attempts=4
attempt=1
while :; do
  echo "Warming up the blob trigger's webhook: HTTP $(warm_up)."
  echo "Creating the landing/ event subscription (attempt $attempt of $attempts)..."
  if az deployment group create \
    --subscription "$AZURE_SUBSCRIPTION_ID" \
    --name landing-subscription \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --template-file "$(dirname "$0")/../../infra/app/landing-subscription.bicep" \
    --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" \
                 systemTopicName="$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
                 storageAccountName="$AZURE_STORAGE_ACCOUNT_NAME" \
                 identityName="$AZURE_IDENTITY_NAME" \
                 functionName="$function_name" \
    --only-show-errors --output none 2>"$errors"; then
    break
  fi
  echo "Attempt $attempt failed:" >&2
  sed 's/^/  /' "$errors" >&2
  if [ "$attempt" -ge "$attempts" ]; then
    echo "The landing/ event subscription could not be created in $attempts attempts. If the error is the webhook's" >&2
    echo "validation, the blob trigger did not answer in time: open $SERVICE_API_URI/api/health, $rerun." >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "Trying again in 30 s."
  sleep 30
done
echo "Blob drops under landing/ now reach $function_name (subscription created on attempt $attempt)."
