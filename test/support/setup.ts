// Runs before every test file: decorators need reflect-metadata loaded first.
import 'reflect-metadata';
