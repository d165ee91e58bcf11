/**
 * A real S3-compatible server for the S3 tests and the benchmark: s3rver on 127.0.0.1, a port of its
 * own, data in a temporary directory; and, in front of it when a test needs faults, a plain HTTP
 * proxy that fails chosen GETs (it forwards everything else byte for byte: it is not an S3 of ours).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { S3Client, PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { createRequire } from 'node:module';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
// s3rver is CommonJS and ships no types; only its constructor, run() and close() are used.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

/** s3rver's built-in credentials; it checks request signatures against them. */
export const S3RVER_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' } as const;

export interface S3Server {
  readonly endpoint: string;
  readonly client: S3Client;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  // As ctq itself does (src/sources/cloudtrail-api/client.ts): the SDK's Node-version notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const directory = await mkdtemp(join(tmpdir(), 'ctq-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Creates the bucket and uploads every file under `dir` with its relative path as key. Returns the keys.
 *
 * s3rver 3.7.1 answers a delimiter listing (`ListObjectsV2` with `Delimiter: '/'`) only with the
 * folders that hold an object directly: its file-system walk never descends below a common prefix
 * (lib/stores/filesystem.js, listObjects). Real S3 reports every folder. So each folder also gets the
 * empty `folder/` marker object the S3 console creates for "Create folder", which makes s3rver
 * report it; ctq, like the AWS CLI's listings here, never reads a key ending in `/`.
 */
export async function uploadTree(server: S3Server, bucket: string, dir: string): Promise<string[]> {
  await server.client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  const keys: string[] = [];
  const folders = new Set<string>();
  for (const path of await filesUnder(dir)) {
    const key = relative(dir, path).split(sep).join('/');
    await putObject(server, bucket, key, await readFile(path));
    keys.push(key);
    const parts = key.split('/');
    for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/') + '/');
  }
  for (const folder of folders) await putObject(server, bucket, folder, Buffer.alloc(0));
  return keys.sort();
}

/** Adds the folder markers (see uploadTree) for a key put on its own. */
export async function putWithFolders(server: S3Server, bucket: string, key: string, body: Buffer): Promise<void> {
  const parts = key.split('/');
  for (let depth = 1; depth < parts.length; depth++) await putObject(server, bucket, parts.slice(0, depth).join('/') + '/', Buffer.alloc(0));
  await putObject(server, bucket, key, body);
}

export async function putObject(server: S3Server, bucket: string, key: string, body: Buffer): Promise<void> {
  await server.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** What the fault proxy does to GETs of keys ending in a given suffix. */
export type Fault =
  /** Answer 500 InternalError this many times, then forward. */
  | { readonly kind: 'fail-first'; readonly times: number }
  /** Answer 403 AccessDenied every time (as for an object under a KMS key the caller cannot use). */
  | { readonly kind: 'always-denied' }
  /** Answer 503 SlowDown every time (retried by the SDK until it gives up). */
  | { readonly kind: 'always-unavailable' }
  /** Send the headers and half the body, then cut the connection, this many times. */
  | { readonly kind: 'cut-body'; readonly times: number };

export interface FaultProxy {
  readonly endpoint: string;
  readonly faults: Map<string, Fault>;
  /** Requests seen: method, path (bucket first), query, and the region the request was signed for. */
  readonly seen: { method: string; path: string; query: string; signedFor: string }[];
  /**
   * When set, only requests of this run (user agent `app/<run>`, from `AWS_SDK_UA_APP_ID`) are seen
   * and meet faults: the runs of a test that timed out go on sending requests on a busy machine, and
   * must not show up in the next test's log.
   */
  run: string | null;
  /**
   * When set, the bucket lives in this region, as on S3: a request signed for another region is answered
   * 301 PermanentRedirect with `x-amz-bucket-region` (API_HeadBucket.html, UsingRouting.html), and
   * HEAD answers carry the header too.
   */
  bucketRegion: string | null;
  /** How a request signed for another region is answered: 301 PermanentRedirect, or 400 AuthorizationHeaderMalformed (ErrorResponses.html). */
  wrongRegion: 301 | 400;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const faults = new Map<string, Fault>();
  const used = new Map<string, number>();
  const seen: { method: string; path: string; query: string; signedFor: string }[] = [];
  const upstream = new URL(target);
  const proxy: FaultProxy = { endpoint: '', faults, seen, run: null, bucketRegion: null, wrongRegion: 301, close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const [rawPath = '/', query = ''] = (req.url ?? '/').split('?');
    const path = decodeURIComponent(rawPath);
    const signedFor = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const ours = proxy.run === null || (req.headers['user-agent'] ?? '').split(' ').includes(`app/${proxy.run}`);
    if (ours) seen.push({ method: req.method ?? '', path, query: decodeURIComponent(query), signedFor });
    const entry = ours && isGetObject(req.method, query) ? [...faults].find(([suffix]) => path.endsWith(suffix)) : undefined;
    const fault = entry?.[1];
    const count = entry ? (used.get(entry[0]) ?? 0) : 0;
    if (entry) used.set(entry[0], count + 1);
    if (proxy.bucketRegion !== null && signedFor !== '' && signedFor !== proxy.bucketRegion) {
      const where = { 'x-amz-bucket-region': proxy.bucketRegion };
      if (proxy.wrongRegion === 400) return xmlError(res, 400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${signedFor}' is wrong; expecting '${proxy.bucketRegion}'`, where);
      return xmlError(res, 301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', where);
    }
    if (fault?.kind === 'always-denied') return xmlError(res, 403, 'AccessDenied', 'Access Denied');
    if (fault?.kind === 'always-unavailable') return xmlError(res, 503, 'SlowDown', 'Please reduce your request rate.');
    if (fault?.kind === 'fail-first' && count < fault.times) return xmlError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    const cut = fault?.kind === 'cut-body' && count < fault.times;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const headers = req.method === 'HEAD' && proxy.bucketRegion !== null ? { ...answer.headers, 'x-amz-bucket-region': proxy.bucketRegion } : answer.headers;
        res.writeHead(answer.statusCode ?? 502, headers);
        if (!cut) {
          answer.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (b: Buffer) => parts.push(b));
        answer.on('end', () => {
          const body = Buffer.concat(parts);
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** GetObject: a GET with no sub-resource (the SDK adds `x-id=GetObject`; the AWS CLI sends none). */
export function isGetObject(method: string | undefined, query: string): boolean {
  return method === 'GET' && (query === '' || /^x-id=GetObject$/.test(query));
}

function xmlError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
