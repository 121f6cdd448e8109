global using MarketSim.Model.Agents;
global using MarketSim.Model.Market;
global using MarketSim.Model.Policies;
global using MarketSim.Model.Scenario;
global using MarketSim.Model.Simulation;
