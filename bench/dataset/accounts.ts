/** The people in the data set: the camp's members and the remote actors on other servers. */
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { Random, Skewed } from "./random.ts";
import { sentences } from "./text.ts";
import type { BulkWriter } from "./writer.ts";

const DAY = 86_400_000;
const NAMES = (
  "ada alan anna ben bea carl cleo dana eli emma finn fay gus hana ivan iris jon juno kai kim leo lia max " +
  "mia nia noa oli ona pia quin rae ray sam sol tea tom uma val vic wes wyn xia yan yuki zed zoe"
).split(" ");
const SERVER_KINDS = ["social", "masto", "town", "club", "space", "zone", "cafe", "garden"];

export interface RemoteActor {
  id: number;
  handle: string;
  domain: string;
  uri: string;
  keyId: string;
}

/** A remote actor the benchmark can sign as: its private key never enters the database. */
export interface Signer extends RemoteActor {
  privateKeyPem: string;
}

export interface People {
  memberIds: number[];
  memberHandles: string[];
  remote: RemoteActor[];
  signers: Signer[];
  domains: string[];
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeyPairs(count: number): Promise<{ publicKey: string; privateKey: string }[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      generateRsa("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      }),
    ),
  );
}

/** The handle of the member at this index: a short name, numbered once the names run out. */
export const memberHandle = (index: number) => `${NAMES[index % NAMES.length]}${index < NAMES.length ? "" : index}`;

/** Writes the camp row, the members (sharing one password hash) and the remote actors. */
export async function writePeople(
  writer: BulkWriter,
  random: Random,
  counts: { members: number; remoteActors: number; remoteServers: number; signingActors: number },
  since: number,
  passwordHash: string,
): Promise<People> {
  const memberIds: number[] = [];
  const memberHandles: string[] = [];
  for (let i = 0; i < counts.members; i++) {
    const id = i + 1;
    const handle = memberHandle(i);
    const created = since - random.int(30) * DAY;
    const bio = sentences(random);
    writer.insert(
      "accounts",
      ["id", "handle", "domain", "display_name", "bio_source", "bio_html", "created_at"],
      [id, handle, null, handle[0]!.toUpperCase() + handle.slice(1), bio, `<p>${bio}</p>`, created],
    );
    writer.insert(
      "members",
      ["account_id", "password_hash", "role", "created_at"],
      [id, passwordHash, i === 0 ? "operator" : i === 1 ? "moderator" : "member", created],
    );
    memberIds.push(id);
    memberHandles.push(handle);
  }

  const domains = Array.from({ length: counts.remoteServers }, (_, k) => `${SERVER_KINDS[k % SERVER_KINDS.length]}${k}.example`);
  const serverOf = new Skewed(counts.remoteServers, 1.1);
  const keys = await rsaKeyPairs(counts.signingActors + 1);
  const sharedPublicKey = keys[counts.signingActors]!.publicKey;
  const remote: RemoteActor[] = [];
  const signers: Signer[] = [];
  for (let i = 0; i < counts.remoteActors; i++) {
    const id = counts.members + 1 + i;
    // Every server has at least one actor; the rest crowd onto a few big ones.
    const domain = domains[i < counts.remoteServers ? i : serverOf.draw(random)]!;
    const handle = `${random.pick(NAMES)}_${i}`;
    const uri = `https://${domain}/users/${handle}`;
    const keyId = `${uri}#main-key`;
    const key = i < counts.signingActors ? keys[i]! : null;
    const bio = sentences(random);
    writer.insert(
      "accounts",
      ["id", "handle", "domain", "display_name", "bio_html", "uri", "url", "inbox_uri", "shared_inbox_uri",
        "followers_uri", "public_key_id", "public_key_pem", "fetched_at", "created_at"],
      [id, handle, domain, handle.replace("_", " "), `<p>${bio}</p>`, uri, `https://${domain}/@${handle}`,
        `${uri}/inbox`, `https://${domain}/inbox`, `${uri}/followers`, keyId, key?.publicKey ?? sharedPublicKey,
        since, since - random.int(365) * DAY],
    );
    const actor = { id, handle, domain, uri, keyId };
    remote.push(actor);
    if (key) signers.push({ ...actor, privateKeyPem: key.privateKey });
  }
  return { memberIds, memberHandles, remote, signers, domains };
}
