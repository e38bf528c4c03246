// The CardexClient module.
