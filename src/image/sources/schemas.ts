import { z } from 'zod';

/**
 * Schemas of the JSON documents an image is made of. Outside data: each is parsed with zod
 * and unknown fields are dropped.
 */

const Digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/);

/** `manifest.json` of `docker save` (moby image/tarexport, "Combined Image JSON + Filesystem Changeset Format"). */
export const DockerManifest = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
    /** Docker 25+: descriptors (with media types) of the layers, keyed by digest. */
    LayerSources: z
      .record(
        z.string(),
        z.object({ mediaType: z.string().optional(), size: z.number().optional() }),
      )
      .nullish(),
  }),
);
export type DockerManifest = z.infer<typeof DockerManifest>;

/** OCI image-spec image-index.md `platform`. */
export const OciPlatform = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
});
export type OciPlatform = z.infer<typeof OciPlatform>;

/** OCI image-spec descriptor.md. */
export const OciDescriptor = z.object({
  mediaType: z.string().optional(),
  digest: Digest,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).nullish(),
  platform: OciPlatform.optional(),
  urls: z.array(z.string()).nullish(),
});
export type OciDescriptor = z.infer<typeof OciDescriptor>;

/** OCI image-spec image-index.md (also `index.json` of image-layout.md). */
export const OciIndex = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  manifests: z.array(OciDescriptor),
});
export type OciIndex = z.infer<typeof OciIndex>;

/** OCI image-spec manifest.md (Docker's schema 2 manifest has the same shape). */
export const OciManifest = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  config: OciDescriptor,
  layers: z.array(OciDescriptor),
});
export type OciManifest = z.infer<typeof OciManifest>;

/** OCI image-spec config.md, the fields bulkhead reads. */
export const ImageConfigJson = z.object({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  created: z.string().optional(),
  config: z
    .object({
      User: z.string().optional(),
      Env: z.array(z.string()).nullish(),
      Entrypoint: z.array(z.string()).nullish(),
      Cmd: z.array(z.string()).nullish(),
      WorkingDir: z.string().optional(),
      Labels: z.record(z.string(), z.string()).nullish(),
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      Healthcheck: z.unknown().optional(),
    })
    .nullish(),
  rootfs: z.object({ type: z.string(), diff_ids: z.array(Digest) }),
  history: z
    .array(
      z.object({
        created_by: z.string().optional(),
        empty_layer: z.boolean().optional(),
        created: z.string().optional(),
        comment: z.string().optional(),
      }),
    )
    .nullish(),
});
export type ImageConfigJson = z.infer<typeof ImageConfigJson>;

/** Media types (image-spec media-types.md and Docker's distribution spec). */
export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
