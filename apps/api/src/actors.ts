import { type Listener, listen } from "@canopy/db";
import { type ActorCache, CREDENTIAL_CHANGES_CHANNEL } from "@canopy/domain/identity";

/**
 * Keeps an actor cache honest through Postgres: every credential change anywhere (this process,
 * another API process, a script) notifies CREDENTIAL_CHANGES_CHANNEL at its commit and empties
 * the cache; until the LISTEN connection is up, and whenever it is lost, the cache is bypassed
 * (see ActorCache in the domain).
 */
export function watchCredentialChanges(connectionString: string, actors: ActorCache, onLost: (error: Error) => void): Listener {
  return listen({
    connectionString,
    channel: CREDENTIAL_CHANGES_CHANNEL,
    onNotification: () => actors.forgetAll(),
    onConnected: () => actors.resume(),
    onError(error) {
      actors.suspend();
      onLost(error);
    },
  });
}
