Added `Greeter`, which greets people.
