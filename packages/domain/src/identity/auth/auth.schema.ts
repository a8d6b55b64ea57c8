import { z } from "zod";

export const loginInput = z.strictObject({
  email: z.email().max(320),
  // Longer than any real password, short of making a hash costlier to ask for.
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof loginInput>;
