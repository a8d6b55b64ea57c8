import { z } from "zod";

export const byId = z.strictObject({ id: z.string().min(1).max(100) });
