import { listInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

/** A new password: long enough to resist guessing, short enough to hash quickly. */
export const password = z.string().min(12, "must be at least 12 characters").max(256, "must be at most 256 characters");

const id = z.string().min(1).max(100);
export const userRole = z.enum(["admin", "service"]);

export const usersCreateInput = z.strictObject({
  accountId: id.optional(),
  role: userRole,
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  password: password.optional(),
});
export const usersUpdateInput = z.strictObject({
  id,
  version: z.number().int().positive(),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  role: userRole.optional(),
});
export const usersSetPasswordInput = z.strictObject({
  id,
  /** Required when users change their own password; administrators setting another's do without. */
  currentPassword: z.string().min(1).max(256).optional(),
  password,
});
export const usersListInput = listInput.extend({
  accountId: id.optional(),
  role: userRole.optional(),
  status: z.enum(["active", "disabled"]).optional(),
});

export type UsersCreateInput = z.infer<typeof usersCreateInput>;
export type UsersUpdateInput = z.infer<typeof usersUpdateInput>;
export type UsersSetPasswordInput = z.infer<typeof usersSetPasswordInput>;
export type UsersListInput = z.infer<typeof usersListInput>;

export const user = z
  .object({
    id: z.string(),
    accountId: z.string(),
    role: userRole,
    email: z.string(),
    name: z.string(),
    status: z.enum(["active", "disabled"]),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: "User" });
export const usersPage = pageOutput(user);
export type User = z.infer<typeof user>;
