// A page the server refused (too many pages open from one address: Security/CircuitQuota.cs) says why, in the error bar,
// instead of staying a page whose buttons do nothing. Blazor loads this module itself (a JS initializer).
export function beforeServerStart(options) {
    const configure = options.configureSignalR;
    options.configureSignalR = builder => {
        if (configure) configure(builder);
        const build = builder.build.bind(builder);
        builder.build = () => {
            const connection = build();
            connection.on('MarketSim.Refused', sentence => {
                const bar = document.getElementById('blazor-error-ui');
                const text = bar && bar.querySelector('.message');
                if (text) text.textContent = sentence;
                if (bar) bar.dataset.refused = 'yes';
            });
            return connection;
        };
    };
}
