import { z } from "zod";

export const loginInput = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof loginInput>;

export const password = z.string().min(12, "must be at least 12 characters").max(1024);
