// Drops a file into Flywheel's landing container, as a storage tool (Storage Explorer, azcopy,
// `az storage blob upload`) would: node scripts/drop.mjs <file> <dataset>/<name>
// Storage comes from AzureWebJobsStorage (default: the local Azurite); shared key, no SDK needed.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

const [file, target] = process.argv.slice(2);
if (!file || !target || !target.includes("/")) {
  console.error("usage: node scripts/drop.mjs <file> <dataset>/<name>");
  process.exit(2);
}

const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const setting = process.env.AzureWebJobsStorage ?? "UseDevelopmentStorage=true";
const parts = Object.fromEntries(setting.split(";").filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
const account = parts.AccountName ?? "devstoreaccount1";
const key = parts.AccountKey ?? devKey;
const endpoint = (parts.BlobEndpoint ?? `http://127.0.0.1:10000/${account}`).replace(/\/$/, "");
const container = `${process.env.Flywheel__Storage__NamePrefix ?? ""}landing`;

const body = readFileSync(file);
const url = new URL(`${endpoint}/${container}/${target.split("/").map(encodeURIComponent).join("/")}`);
const headers = { "x-ms-blob-type": "BlockBlob", "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" };
const canonicalHeaders = Object.keys(headers).sort().map((h) => `${h}:${headers[h]}\n`).join("");
const toSign = ["PUT", "", "", body.length || "", "", "application/octet-stream", "", "", "", "", "", ""].join("\n") + "\n"
  + canonicalHeaders + `/${account}${url.pathname}`;
const signature = createHmac("sha256", Buffer.from(key, "base64")).update(toSign, "utf8").digest("base64");

const response = await fetch(url, {
  method: "PUT",
  headers: { ...headers, "content-type": "application/octet-stream", authorization: `SharedKey ${account}:${signature}` },
  body,
});
if (!response.ok) {
  console.error(`${response.status} ${await response.text()}`);
  process.exit(1);
}
console.log(`dropped ${file} at ${container}/${target}`);
