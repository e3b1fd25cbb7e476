// Drops a file into Flywheel's landing container, as a storage tool (Storage Explorer, azcopy,
// `az storage blob upload`) would: node scripts/drop.mjs <file> <dataset>/<name>
// Storage comes from AzureWebJobsStorage (default: the local Azurite); shared key, no SDK needed.
import { readFileSync } from "node:fs";
import { blobRequest, containerName } from "./storage.mjs";

const [file, target] = process.argv.slice(2);
if (!file || !target || !target.includes("/")) {
  console.error("usage: node scripts/drop.mjs <file> <dataset>/<name>");
  process.exit(2);
}

try {
  await blobRequest("PUT", "landing", target, readFileSync(file));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
console.log(`dropped ${file} at ${containerName("landing")}/${target}`);
