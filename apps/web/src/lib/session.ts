import { SessionError } from "./errors";

/**
 * Sign-in and sign-out are small host routes rather than tRPC procedures: the session lives in
 * an httpOnly cookie that only the host can set or clear.
 */
async function call(method: "POST" | "DELETE", body?: unknown): Promise<unknown> {
  const response = await fetch("/session", {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const answer = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) throw new SessionError(answer.code ?? "INTERNAL_SERVER_ERROR", response.status, answer.message ?? "sign-in failed");
  return answer;
}

export const signIn = (email: string, password: string) => call("POST", { email, password });
export const signOut = () => call("DELETE");
