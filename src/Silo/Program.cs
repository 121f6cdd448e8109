using MarketSim.Silo;
using Microsoft.Extensions.Hosting;

// A standalone silo: localhost clustering; ports from Orleans:SiloPort / Orleans:GatewayPort (args, env, appsettings).
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseMarketSim());
await builder.Build().RunAsync();
