// django.http.request.host_validation_re, on the lower-cased host.
const HOST = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/;
/** request.META's HTTP_X_FORWARDED_PROTO is the x-forwarded-proto header. */
export function metaToHeader(meta) {
    return meta.startsWith('HTTP_') ? meta.slice(5).toLowerCase().replace(/_/g, '-') : null;
}
function single(value) {
    return Array.isArray(value) ? value.join(',') : value;
}
export function requestOrigin(headers, connectionSecure, settings) {
    let secure = connectionSecure;
    const proxy = settings.secureProxySslHeader;
    const name = proxy ? metaToHeader(proxy.header) : null;
    const sent = name === null ? undefined : single(headers[name]);
    if (proxy && sent !== undefined) {
        secure = (settings.firstProxyValue ? sent.split(',', 1)[0].trim() : sent) === proxy.value;
    }
    const rawHost = single(headers.host) ?? '';
    const forwarded = single(headers['x-forwarded-host']);
    const host = settings.useXForwardedHost && forwarded !== undefined ? forwarded : rawHost;
    // The WSGI server's SERVER_PORT: the Host header's port, else the scheme's default.
    const port = /:(\d+)$/.exec(rawHost)?.[1] ?? (secure ? '443' : '80');
    return { secure, host: HOST.test(host.toLowerCase()) ? host : null, port };
}
//# sourceMappingURL=request-origin.js.map