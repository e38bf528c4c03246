// The CardexNotify module.
