// Each test class starts its own Redis and silo processes: never two at once on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
