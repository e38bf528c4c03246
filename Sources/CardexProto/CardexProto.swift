// The Cardex messages and service stubs. FramedRPCProtocPlugin generates them at build time from
// the protos listed in framedrpc.json (Proto/cardex/v1); nothing here is written by hand.
