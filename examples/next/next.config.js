// The library loads its database driver at run time from node_modules; bundling it would pull in every driver.
/** @type {import('next').NextConfig} */
export default { serverExternalPackages: ['django-session-bridge'] };
