import { runPost } from './login';

void runPost();
