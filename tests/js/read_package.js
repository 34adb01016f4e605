// Reads every CSV table of a package with datapackage-js, typed by its schema, and
// prints what did not come out with the declared rows and fields.
const {Package} = require('datapackage');

(async () => {
  const pkg = await Package.load(process.argv[2]);
  const bad = pkg.valid ? [] : pkg.errors.map((error) => `descriptor: ${error.message}`);
  for (const resource of pkg.resources) {
    if (resource.descriptor.format !== 'csv') continue;
    try {
      const rows = await resource.read({keyed: true, cast: true});
      const width = Object.keys(rows[0] || {}).length;
      if (rows.length !== resource.descriptor.rows || width !== resource.schema.fields.length) {
        bad.push(`${resource.name}: ${rows.length} rows of ${width} fields`);
      }
    } catch (error) {
      bad.push(`${resource.name}: ${error.message.split('\n')[0]}`);
    }
  }
  console.log(bad.length ? bad.join('\n') : 'ok');
  process.exit(bad.length ? 1 : 0);
})();
