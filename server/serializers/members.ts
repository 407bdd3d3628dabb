import type { Member } from "../../db/schema.ts";

/** The public face of a member: never their email, issuer or subject. */
export function serializeMember(
  member: Pick<Member, "id" | "handle" | "name" | "avatar" | "roles">,
) {
  return {
    id: member.id,
    handle: member.handle,
    name: member.name,
    avatar: member.avatar,
    roles: member.roles,
  };
}
