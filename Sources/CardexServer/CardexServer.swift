// The CardexServer module.
