// What scripts/build-site.mjs gives the page's bundle.

/** ids of the rules whose docs page the site ships (rules/<id>.html) */
declare const RULE_DOCS: readonly string[];

/** CURRENT_APACHE of src/apache/version.ts, e.g. "2.4.71": the release the rules target without --apache-version */
declare const CURRENT_APACHE_VERSION: string;

/** the tutorial example, bundled as text */
declare module "*.conf" {
  const text: string;
  export default text;
}
