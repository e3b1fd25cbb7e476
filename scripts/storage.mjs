// Blob requests signed with the account's shared key, as storage tools make them, without an SDK.
// Storage comes from AzureWebJobsStorage (default: the local Azurite); container names get
// Flywheel__Storage__NamePrefix, as Flywheel's own do.
import { createHmac } from "node:crypto";

const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const setting = process.env.AzureWebJobsStorage ?? "UseDevelopmentStorage=true";
const parts = Object.fromEntries(setting.split(";").filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
const account = parts.AccountName ?? "devstoreaccount1";
const key = parts.AccountKey ?? devKey;
const endpoint = (parts.BlobEndpoint ?? `http://127.0.0.1:10000/${account}`).replace(/\/$/, "");

export const containerName = (name) => `${process.env.Flywheel__Storage__NamePrefix ?? ""}${name}`;

/** The blob's URL, as storage events name it. */
export const blobUrl = (container, path) => `${endpoint}/${containerName(container)}/${path.split("/").map(encodeURIComponent).join("/")}`;

/** Sends a signed request for a blob; body is a Buffer for PUT, absent for GET. */
export async function blobRequest(method, container, path, body) {
  const url = new URL(blobUrl(container, path));
  const headers = { "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" };
  if (body) headers["x-ms-blob-type"] = "BlockBlob";
  const type = body ? "application/octet-stream" : "";
  const canonicalHeaders = Object.keys(headers).sort().map((h) => `${h}:${headers[h]}\n`).join("");
  const toSign = [method, "", "", body?.length || "", "", type, "", "", "", "", "", ""].join("\n") + "\n" + canonicalHeaders + `/${account}${url.pathname}`;
  const signature = createHmac("sha256", Buffer.from(key, "base64")).update(toSign, "utf8").digest("base64");
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body ? { "content-type": type } : {}), authorization: `SharedKey ${account}:${signature}` },
    body,
  });
  if (!response.ok) throw new Error(`${method} ${url.pathname}: ${response.status} ${await response.text()}`);
  return response;
}
