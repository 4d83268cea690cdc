/** Port of the web app the browser tests start (`CHAINMAP_TEST_WEB_PORT`, default 3100). */
export const webPort = Number(process.env.CHAINMAP_TEST_WEB_PORT ?? 3100)

/** Port of the sync server the browser tests start (`CHAINMAP_TEST_SYNC_PORT`, default 1334). */
export const syncPort = Number(process.env.CHAINMAP_TEST_SYNC_PORT ?? 1334)
