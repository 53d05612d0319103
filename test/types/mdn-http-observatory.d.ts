/**
 * The few parts of @mdn/mdn-http-observatory (plain JavaScript, no type
 * declarations) that test/server/observatory.test.ts uses.
 */
declare module '@mdn/mdn-http-observatory' {
  export interface ObservatoryTestOutput {
    pass: boolean | null;
    result: string | null;
    scoreModifier: number | null;
  }
  export interface ScanResult {
    scan: { grade: string; score: number; testsFailed: number; testsPassed: number; testsQuantity: number };
    tests: Record<string, ObservatoryTestOutput>;
  }
  export function scan(hostname: string): Promise<ScanResult>;
}

declare module '@mdn/mdn-http-observatory/src/types.js' {
  export class Requests {
    constructor(hostname: string);
    hostname: string;
    responses: {
      auto: (Record<string, unknown> & { httpEquiv?: Map<string, string[]> }) | null;
      http: Record<string, unknown> | null;
      https: Record<string, unknown> | null;
      cors: Record<string, unknown> | null;
      httpRedirects: { url: URL; status: number }[];
      httpsRedirects: { url: URL; status: number }[];
    };
    resources: { path: string | null };
    session: unknown;
  }
}

declare module '@mdn/mdn-http-observatory/src/retriever/session.js' {
  export class Session {
    constructor(url: URL);
  }
}

declare module '@mdn/mdn-http-observatory/src/retriever/utils.js' {
  export function parseHttpEquivHeaders(html: string, baseUrl: string): Map<string, string[]>;
}

/** The scanner's HTTP client, installed beside it (see vitest.config.ts); only its header class is used. */
declare module 'axios' {
  export class AxiosHeaders {
    constructor(headers?: Record<string, string>);
  }
}
