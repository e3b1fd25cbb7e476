// Downloads one of Flywheel's blobs to a file: node bench/fetch_blob.mjs <container> <path> <file>
import { writeFileSync } from "node:fs";
import { blobRequest } from "../scripts/storage.mjs";

const [container, path, file] = process.argv.slice(2);
const response = await blobRequest("GET", container, path);
writeFileSync(file, Buffer.from(await response.arrayBuffer()));
