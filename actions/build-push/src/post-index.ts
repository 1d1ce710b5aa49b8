import { run } from './post';

void run();
