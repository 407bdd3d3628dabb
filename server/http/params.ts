/**
 * Path parameters, declared once: the routes parse ids here, so services receive typed
 * ids and never parse raw strings. A parameter that does not parse is the route's 404.
 */
import { z } from "zod";

/** A numeric id as the API shows it: a positive integer within JavaScript's safe range. */
export const numericId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);

/** A member id: a UUID, compared in lower case. */
export const memberId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((id) => id.toLowerCase());

/** A thread key as the host names it; its shape is checked by the thread service. */
export const threadKey = z.string();

export const IdParams = z.object({ id: numericId });
export const MemberParams = z.object({ id: memberId });
export const KeyParams = z.object({ key: threadKey });
export const HandleParams = z.object({ handle: z.string() });
