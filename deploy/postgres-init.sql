-- Rasa's tracker store lives beside the gateway's database (docker-compose.yml).
CREATE DATABASE rasa;
