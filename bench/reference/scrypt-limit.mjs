// This machine's scrypt limit for sign-in: cores / time of one password hash with Better Auth's
// parameters (N=16384, r=16, p=1, 64-byte key; 128 * r * N = 32 MiB of memory per hash). Node's
// crypto.scryptSync calls OpenSSL's EVP_PBE_scrypt, the function crow-auth's PasswordHasher calls.
//
//   node bench/reference/scrypt-limit.mjs [SAMPLES]
//
// Prints shell assignments on stdout:
//   SCRYPT_MS        median wall time of one hash on one thread (SAMPLES hashes after 2 warm-ups)
//   SCRYPT_CORES     os.availableParallelism() (what nproc says)
//   SCRYPT_LIMIT     SCRYPT_CORES * 1000 / SCRYPT_MS, hashes per second: the figure sign-in is
//                    compared with
//   SCRYPT_PARALLEL  hashes per second actually reached with SCRYPT_CORES threads hashing for
//                    PARALLEL_S seconds (information: memory bandwidth can keep it under the limit)
import { scryptSync } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const PARAMS = { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 };
// Better Auth hashes the NFKC password with the 32-character hex salt used as ASCII bytes.
const PASSWORD = "bench-password-123456".normalize("NFKC");
const SALT = "0123456789abcdef0123456789abcdef";
const hash = () => scryptSync(PASSWORD, SALT, 64, PARAMS);

if (!isMainThread) {
  const end = Date.now() + workerData.ms;
  let count = 0;
  while (Date.now() < end) {
    hash();
    count++;
  }
  parentPort.postMessage(count);
} else {
  const samples = Math.max(3, Number(process.argv[2] || process.env.SCRYPT_SAMPLES || 15));
  const parallelMs = Math.round(Number(process.env.PARALLEL_S || 3) * 1000);
  hash();
  hash();
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    hash();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const cores = availableParallelism();

  let parallel = 0;
  if (parallelMs > 0) {
    const t0 = Date.now();
    const counts = await Promise.all(
      Array.from({ length: cores }, () => new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { ms: parallelMs } });
        worker.once("message", resolve);
        worker.once("error", reject);
      })),
    );
    parallel = (counts.reduce((a, b) => a + b, 0) * 1000) / (Date.now() - t0);
  }

  console.log(`SCRYPT_MS=${median.toFixed(2)}`);
  console.log(`SCRYPT_MIN_MS=${times[0].toFixed(2)}`);
  console.log(`SCRYPT_SAMPLES=${samples}`);
  console.log(`SCRYPT_CORES=${cores}`);
  console.log(`SCRYPT_LIMIT=${((cores * 1000) / median).toFixed(2)}`);
  console.log(`SCRYPT_PARALLEL=${parallel.toFixed(2)}`);
}
