// The Cardex messages and service stubs, in Generated/: scripts/generate.sh makes them from the
// protos listed in framedrpc.json (Proto/cardex/v1) and they are checked in, so a package using
// CardexClient builds without protoc. Nothing here is written by hand.
