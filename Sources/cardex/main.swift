print("cardex")
