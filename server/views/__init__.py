"""The service's views: each validates nothing itself (the route table did), calls the domain and answers."""
