// nim-web-sdk-ng's declarations import ArgumentMap from 'eventemitter3',
// which the SDK bundles but does not install. Without it the SDK's on() takes
// any handler, and test/types/nim-sdk.ts would check nothing about listeners:
// this is eventemitter3 4.x's own definition (index.d.ts), for that compile only.
declare module 'eventemitter3' {
  export type ArgumentMap<T extends object> = {
    [K in keyof T]: T[K] extends (...args: any[]) => void ? Parameters<T[K]> : T[K] extends any[] ? T[K] : any[];
  };
}
