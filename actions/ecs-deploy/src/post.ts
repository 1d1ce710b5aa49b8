import { runPost } from './cancel';

void runPost();
