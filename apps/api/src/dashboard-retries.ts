import type { Db } from "@canopy/db";
import { orders } from "@canopy/domain/commerce";
import type { Actor } from "@canopy/domain/identity";
import { webhookDeliveries } from "@canopy/domain/messaging";
import { DomainError } from "@canopy/domain/shared";
import type { Job } from "bullmq";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { QueueHandles } from "./queues";

/**
 * The dashboard's Retry on a job whose business outcome is settled means "do it again" in the
 * domain's sense, not "run this job again": re-running the job of an `error` order would find the
 * order settled and do nothing. So Retry on a failed `order-provisioning` job is `orders.retry`
 * (the order goes back to `submitted` with `order.retried`, and the worker takes it up through the
 * outbox as a new job), and on a failed `webhook-delivery` job it is the delivery's retry (the
 * sweep sends it at once). The failed job is then removed: the new job carries the story on, and
 * the Failed tab and `canopy_queue_jobs{state="failed"}` count what is failed now. Jobs whose
 * subject is not settled (an unexpected error on an open order) keep BullMQ's plain retry.
 *
 * Answers the request and returns true when it handled it; false lets bull-board handle it.
 */
export async function retryThroughDomain(
  req: FastifyRequest,
  reply: FastifyReply,
  { db, queues, actor, basePath }: { db: Db; queues: QueueHandles; actor: Actor; basePath: string },
): Promise<boolean> {
  if (req.method !== "PUT") return false;
  const route = decodedRoute(req.url, basePath);
  const one = route && /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/.exec(route);
  const all = route && /^\/api\/queues\/([^/]+)\/retry\/failed$/.exec(route);
  const queueName = (one ?? all)?.[1];
  if (queueName !== "order-provisioning" && queueName !== "webhook-delivery") return false;
  const queue = queues.queues.get(queueName);
  if (!queue) return false;

  const retry = async (job: Job): Promise<boolean> => {
    if ((await job.getState()) !== "failed") return false;
    try {
      if (queueName === "order-provisioning") await db.transaction().execute((trx) => orders.retryOrder(trx, actor, job.data.subjectId));
      else await db.transaction().execute((trx) => webhookDeliveries.retryDeliveryAsOperator(trx, actor, job.data.deliveryId));
    } catch (error) {
      if (error instanceof DomainError && error.code === "PRECONDITION_FAILED" && queueName === "order-provisioning") {
        // Not an `error` order (still open after an unexpected failure): BullMQ's own retry.
        await job.retry("failed");
        return true;
      }
      throw error;
    }
    await job.remove();
    return true;
  };

  try {
    if (one) {
      const job = await queue.getJob(one[2]!);
      if (!job) return false;
      if (!(await retry(job))) return false;
      reply.code(204).send();
      return true;
    }
    let retried = 0;
    let skipped = 0;
    for (const job of await queue.getJobs(["failed"], 0, 999)) {
      if (await retry(job).catch(() => false)) retried++;
      else skipped++;
    }
    reply.code(200).send({ retried, skipped });
    return true;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    reply
      .code(error.code === "NOT_FOUND" ? 404 : error.code === "FORBIDDEN" ? 403 : 400)
      .send({ error: error.message, message: error.message });
    return true;
  }
}

/** The path below the dashboard's base, percent-decoded segment by segment (undefined if malformed). */
function decodedRoute(url: string, basePath: string): string | undefined {
  const path = url.split("?")[0] ?? "";
  if (!path.startsWith(`${basePath}/`)) return undefined;
  try {
    return path.slice(basePath.length).split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}
