/**
 * What docker/Dockerfile's runtime stage installs from, kept here for `npm run check:prod`, which
 * repeats it outside the repository (the Dockerfile's COPY and RUN lines name the same files and
 * flags; change both together).
 *
 * The root manifest and lock file, and the manifests of the workspaces whose production
 * dependencies the bundles import: the two processes and the @canopy packages bundled into them.
 */
export const productionManifests = [
  "package.json",
  "package-lock.json",
  "apps/api/package.json",
  "apps/worker/package.json",
  "packages/api/package.json",
  "packages/db/package.json",
  "packages/domain/package.json",
];

/**
 * `npm ci --omit=dev --legacy-peer-deps -w …` installs these workspaces' dependencies as the
 * lock file pins them. `--legacy-peer-deps` leaves out packages that are only peers: TypeScript
 * (a peer of @trpc/* and valibot for their types) and tailwindcss, none loaded at run time.
 */
export const productionWorkspaces = ["@canopy/server", "@canopy/worker"];
