import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor, Role } from '../../src/shared/actor.ts';
import { canChangeRoles, canSeeUserList, canSuspend, canViewAuditLog, isManageableAccount, rolesActorMayChange } from '../../src/features/accounts/accounts.policy.ts';

const actor = (id: string, ...roles: Role[]): Actor => ({ id, name: id, email: `${id}@x.test`, roles: ['member', ...roles], emailVerified: true, timezone: 'UTC' });
const admin = actor('admin', 'staff', 'admin');
const staff = actor('staff', 'staff');
const member = actor('member');

describe('accounts policy', () => {
  it('shows the user list to staff and admins only', () => {
    assert.equal(canSeeUserList(admin), true);
    assert.equal(canSeeUserList(staff), true);
    assert.equal(canSeeUserList(member), false);
    assert.equal(canSeeUserList(null), false);
  });

  it('shows the audit log to admins only', () => {
    assert.equal(canViewAuditLog(admin), true);
    assert.equal(canViewAuditLog(staff), false);
  });

  it('lets staff change only the specialist role, and admins all but member', () => {
    assert.deepEqual(rolesActorMayChange(staff), ['specialist']);
    assert.deepEqual(rolesActorMayChange(admin), ['specialist', 'staff', 'admin']);
    assert.deepEqual(rolesActorMayChange(member), []);
    assert.equal(canChangeRoles(staff, 'x', ['member'], ['member', 'specialist']), true);
    assert.equal(canChangeRoles(staff, 'x', ['member'], ['member', 'staff']), false);
    assert.equal(canChangeRoles(admin, 'x', ['member'], ['member', 'staff', 'admin']), true);
    assert.equal(canChangeRoles(member, 'x', ['member'], ['member', 'specialist']), false);
  });

  it('never removes the member role', () => {
    assert.equal(canChangeRoles(admin, 'x', ['member', 'staff'], ['staff']), false);
  });

  it("keeps an admin from removing their own admin role but not another admin's", () => {
    assert.equal(canChangeRoles(admin, 'admin', ['member', 'staff', 'admin'], ['member', 'staff']), false);
    assert.equal(canChangeRoles(admin, 'other', ['member', 'admin'], ['member']), true);
    assert.equal(canChangeRoles(admin, 'admin', ['member', 'staff', 'admin'], ['member', 'specialist', 'staff', 'admin']), true);
  });

  it('lets admins suspend others but not themselves; nobody else may', () => {
    assert.equal(canSuspend(admin, 'someone'), true);
    assert.equal(canSuspend(admin, 'admin'), false);
    assert.equal(canSuspend(staff, 'someone'), false);
    assert.equal(canSuspend(null, 'someone'), false);
  });

  it('leaves a deleted account as it is: no roles, suspension or erasure apply to its shell', () => {
    assert.equal(isManageableAccount({ deleted: true }), false);
    assert.equal(isManageableAccount({ deleted: false }), true);
  });
});
