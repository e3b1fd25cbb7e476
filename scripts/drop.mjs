// Drops a file into Flywheel's landing container, as a storage tool (Storage Explorer, azcopy,
// `az storage blob upload`) would: node scripts/drop.mjs <file> <dataset>/<name>
// Storage comes from AzureWebJobsStorage (default: the local Azurite); shared key, no SDK needed.
// Azurite emits no storage events: with FLYWHEEL_LANDING_WEBHOOK set (the Functions host's
// runtime/webhooks/blobs?functionName=Host.Functions.OnLandingBlob; FLYWHEEL_KEY its key) the drop's
// BlobCreated event is posted there in Event Grid's schema, as Event Grid delivers it in Azure.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { blobRequest, blobUrl, containerName } from "./storage.mjs";

const [file, target] = process.argv.slice(2);
if (!file || !target || !target.includes("/")) {
  console.error("usage: node scripts/drop.mjs <file> <dataset>/<name>");
  process.exit(2);
}

const content = readFileSync(file);
try {
  await blobRequest("PUT", "landing", target, content);
  const webhook = process.env.FLYWHEEL_LANDING_WEBHOOK;
  if (webhook) {
    const event = {
      id: randomUUID(),
      topic: "/subscriptions/local/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/local",
      subject: `/blobServices/default/containers/${containerName("landing")}/blobs/${target}`,
      eventType: "Microsoft.Storage.BlobCreated",
      eventTime: new Date().toISOString(),
      data: { api: "PutBlob", contentType: "application/octet-stream", contentLength: content.length, blobType: "BlockBlob", url: blobUrl("landing", target) },
      dataVersion: "",
      metadataVersion: "1",
    };
    const headers = { "content-type": "application/json", "aeg-event-type": "Notification" };
    if (process.env.FLYWHEEL_KEY) headers["x-functions-key"] = process.env.FLYWHEEL_KEY;
    const response = await fetch(webhook, { method: "POST", headers, body: JSON.stringify([event]) });
    if (!response.ok) throw new Error(`POST ${webhook}: ${response.status} ${await response.text()}`);
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`dropped ${file} at ${containerName("landing")}/${target}`);
