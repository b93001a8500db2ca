// End-to-end: the official organizationClient (better-auth 1.7.5) against a running server with
// the organization plugin: a user creates an organization, makes it active, invites a second
// user, who accepts; both then see the membership. Passes against crow-auth (run.sh enables the
// plugin) and against the reference server alike.
//
//   E2E_BASE_URL=http://127.0.0.1:8787 node --test organization-client.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createAuthClient } from "better-auth/client";
import { organizationClient } from "better-auth/client/plugins";
import { jarFetch } from "./cookie-jar.mjs";

const BASE_URL = (process.env.E2E_BASE_URL || "").replace(/\/+$/, "");
if (!BASE_URL) throw new Error("set E2E_BASE_URL, e.g. http://127.0.0.1:8787");
const BASE_PATH = process.env.E2E_BASE_PATH || "/api/v1/auth";
const ORIGIN = new URL(BASE_URL).origin;


function makeClient() {
  return createAuthClient({
    baseURL: BASE_URL,
    basePath: BASE_PATH,
    plugins: [organizationClient()],
    fetchOptions: { customFetchImpl: jarFetch(ORIGIN) },
  });
}

function expectOk(result, what) {
  assert.equal(result.error, null, `${what}: ${JSON.stringify(result.error)}`);
  return result.data;
}

const suffix = randomBytes(5).toString("hex");
const owner = { email: `org-owner-${suffix}@example.com`, client: makeClient() };
const invitee = { email: `org-invitee-${suffix}@example.com`, client: makeClient() };
const slug = `e2e-org-${suffix}`;
const state = {};

test("two users sign up", async () => {
  for (const user of [owner, invitee]) {
    const data = expectOk(
      await user.client.signUp.email({ email: user.email, password: `pw-${suffix}-12345`, name: "Org E2E" }),
      `sign-up ${user.email}`,
    );
    user.id = data.user.id;
  }
});

test("organizationClient creates an organization", async () => {
  const data = expectOk(
    await owner.client.organization.create({ name: "E2E Org", slug, metadata: { plan: "pro" } }),
    "organization.create",
  );
  assert.equal(data.slug, slug);
  assert.equal(data.metadata.plan, "pro");
  assert.equal(data.members.length, 1);
  assert.equal(data.members[0].role, "owner");
  assert.equal(data.members[0].userId, owner.id);
  state.organizationId = data.id;
  const taken = await owner.client.organization.checkSlug({ slug });
  assert.equal(taken.error?.code, "ORGANIZATION_SLUG_ALREADY_TAKEN");
});

test("setActive is on the very next get-session", async () => {
  assert.ok(state.organizationId, "needs the organization");
  const data = expectOk(
    await owner.client.organization.setActive({ organizationId: state.organizationId }),
    "organization.setActive",
  );
  assert.equal(data.id, state.organizationId);
  const session = expectOk(await owner.client.getSession(), "get-session");
  assert.equal(session.session.activeOrganizationId, state.organizationId);
});

test("the owner invites the second user", async () => {
  assert.ok(state.organizationId, "needs the organization");
  const data = expectOk(
    await owner.client.organization.inviteMember({ email: invitee.email, role: "member" }),
    "organization.inviteMember",
  );
  assert.equal(data.email, invitee.email);
  assert.equal(data.status, "pending");
  assert.equal(data.organizationId, state.organizationId);
  state.invitationId = data.id;
});

test("the invited user sees and accepts the invitation", async () => {
  assert.ok(state.invitationId, "needs the invitation");
  const seen = expectOk(
    await invitee.client.organization.getInvitation({ query: { id: state.invitationId } }),
    "organization.getInvitation",
  );
  assert.equal(seen.organizationSlug, slug);
  assert.equal(seen.inviterEmail, owner.email);
  const data = expectOk(
    await invitee.client.organization.acceptInvitation({ invitationId: state.invitationId }),
    "organization.acceptInvitation",
  );
  assert.equal(data.invitation.status, "accepted");
  assert.equal(data.member.userId, invitee.id);
  assert.equal(data.member.role, "member");
  const again = await invitee.client.organization.acceptInvitation({ invitationId: state.invitationId });
  assert.equal(again.error?.code, "INVITATION_NOT_FOUND", "an invitation is accepted once");
});

test("both see the membership", async () => {
  const full = expectOk(await owner.client.organization.getFullOrganization(), "getFullOrganization");
  assert.equal(full.id, state.organizationId);
  assert.deepEqual(full.members.map((m) => m.user.email).sort(), [owner.email, invitee.email].sort());
  const active = expectOk(await invitee.client.organization.getActiveMember(), "getActiveMember");
  assert.equal(active.role, "member");
  const allowed = expectOk(
    await invitee.client.organization.hasPermission({ permissions: { member: ["update"] } }),
    "hasPermission",
  );
  assert.equal(allowed.success, false);
  const list = expectOk(await invitee.client.organization.list(), "organization.list");
  assert.deepEqual(list.map((o) => o.id), [state.organizationId]);
});
